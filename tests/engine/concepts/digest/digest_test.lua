-- Lua tests of lab.digest (engine/concepts/digest/digest_lua.c).

test("digest/hex_matches_crypto", function()
  for _, alg in ipairs{"md5", "sha1", "sha256", "sha384", "sha512"} do
    for _, s in ipairs{"", "abc", ("x"):rep(200)} do
      eq(lab.digest[alg](s), lab.crypto.digest(alg, s), alg)
    end
  end
end)

test("digest/bytes", function()
  local raw = lab.digest.bytes("sha256", "abc")
  eq(#raw, 32)
  eq(lab.crypto.hex(raw), lab.digest.sha256("abc"))
  raises(function() lab.digest.bytes("sha3", "abc") end, "unknown hash")
end)

test("digest/info", function()
  same(lab.digest.info("sha256"), {size = 32, block = 64})
  same(lab.digest.info("sha512"), {size = 64, block = 128})
  same(lab.digest.info("sha384"), {size = 48, block = 128})
  same(lab.digest.info("md5"), {size = 16, block = 64})
  same(lab.digest.info("sha1"), {size = 20, block = 64})
end)

test("digest/no_hmac_here", function()
  eq(lab.digest.hmac, nil)
  eq(lab.digest.pbkdf2, nil)
end)
