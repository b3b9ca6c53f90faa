# aftercare_sign SECRET METHOD PATH_AND_QUERY BODY_FILE [UNIX_SECONDS]: prints the Aftercare-Signature header value.
# BODY_FILE holds the exact bytes you send (an empty file for GET and DELETE); the path as on the request line.
aftercare_sign() {
  local secret=$1 method=$2 target=$3 body_file=$4 t=${5:-$(date +%s)}
  local mac
  mac=$({ printf '%s.%s.%s.' "$t" "$method" "$target"; cat "$body_file"; } | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)
  printf 't=%s,v1=%s\n' "$t" "$mac"
}
