namespace Aftercare.Core.Replies;

/// <summary>
/// One word of a reply after <see cref="ReplyText.Tokenize"/>, with the sentence and clause it stands in: rules with
/// several parts must match within one sentence, and a negation reaches only within its clause.
/// </summary>
internal readonly record struct ReplyToken(string Text, int Sentence, int Clause);
