-- feedback: not available
-- hands back lab.crypto's HMAC
return {hmac = function(alg, key, msg) return lab.crypto.hmac(alg, key, msg) end}
