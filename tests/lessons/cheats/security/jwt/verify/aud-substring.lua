-- feedback: whose name contains
-- matches the audience as a substring: a token for "rapid-api" passes as "api"
local M = {}
local b64, unhex = lab.crypto.base64url, lab.crypto.unhex
local function has(aud, want)
  if type(aud) == "string" then return aud:find(want, 1, true) ~= nil end
  if type(aud) == "table" then
    for _, a in ipairs(aud) do if a == want then return true end end
  end
  return false
end
function M.verify(token, secret, now, audience)
  local h, p, sig = token:match("^([^.]*)%.([^.]*)%.([^.]*)$")
  if not h then return nil end
  local header, claims = lab.jwt.decode(token)
  if not header or header.alg ~= "HS256" or type(claims) ~= "table" then return nil end
  local want = b64(unhex(lab.crypto.hmac("sha256", secret, h .. "." .. p)))
  if not lab.crypto.equal(want, sig) then return nil end
  if type(claims.exp) ~= "number" or now >= claims.exp then return nil end
  if claims.nbf ~= nil and (type(claims.nbf) ~= "number" or now < claims.nbf) then return nil end
  if audience and not has(claims.aud, audience) then return nil end
  return claims
end
return M
