namespace Aftercare.Core.Replies;

/// <summary>
/// The automatic answers to an urgent reply in one locale, as templates with <c>{clinicName}</c> and
/// <c>{clinicPhone}</c>: <see cref="Urgent"/> says the clinic has been told and to call it now; <see cref="Emergency"/>
/// (trouble breathing, throat closing) says to call emergency services now.
/// </summary>
internal sealed record UrgentAnswers(string Urgent, string Emergency);
