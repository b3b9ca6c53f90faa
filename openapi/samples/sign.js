const crypto = require("node:crypto");

// The Aftercare-Signature header value; body is a Buffer of the exact bytes you send (empty for GET and DELETE).
function aftercareSignature(secret, method, pathAndQuery, body, t = Math.floor(Date.now() / 1000)) {
  const mac = crypto
    .createHmac("sha256", Buffer.from(secret, "utf8"))
    .update(Buffer.from(`${t}.${method.toUpperCase()}.${pathAndQuery}.`, "utf8"))
    .update(body)
    .digest("hex");
  return `t=${t},v1=${mac}`;
}

module.exports = { aftercareSignature };
