import hashlib
import hmac
import time


def aftercare_signature(secret: str, method: str, path_and_query: str, body: bytes, t: int | None = None) -> str:
    """The Aftercare-Signature header value; body is the exact bytes you send (b"" for GET and DELETE)."""
    t = int(time.time()) if t is None else t
    message = f"{t}.{method.upper()}.{path_and_query}.".encode("utf-8") + body
    mac = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"
