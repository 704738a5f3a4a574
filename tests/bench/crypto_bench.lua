-- lab.crypto: hash throughput, and what the password hashes cost a guesser
-- at the parameters the security lessons recommend (OWASP Password Storage
-- Cheat Sheet). One core; an attacker with GPUs gets far more for PBKDF2.

local c = lab.crypto
local MB = 4
local data = ("\1\2\3\4abcdefgh"):rep(MB * 1024 * 1024 // 12)
local bytes = #data

print("lab.crypto: hashes (" .. MB .. " MB messages, median of 5)")
for _, alg in ipairs{"md5", "sha1", "sha256", "sha512"} do
  local t = median_time(5, function() c[alg](data) end)
  report(alg, bytes / t / 1e6, "MB/s")
end
local t = median_time(5, function() c.hmac("sha256", "key", data) end)
report("hmac-sha256", bytes / t / 1e6, "MB/s")
t = median_time(5, function()
  for i = 1, 100000 do c.sha256("password" .. (i % 10)) end
end)
report("sha256 of a short password", 100000 / t, "hashes/s")

print("password hashes: guesses per second per core at each cost")
local function guesses(name, runs, fn)
  local tt = median_time(runs, fn)
  report(name, 1 / tt, "guesses/s")
end
guesses("pbkdf2-sha256, 600,000 iterations", 3, function()
  c.pbkdf2("sha256", "hunter2", "0123456789abcdef", 600000, 32)
end)
guesses("pbkdf2-sha1, 1,300,000 iterations", 3, function()
  c.pbkdf2("sha1", "hunter2", "0123456789abcdef", 1300000, 20)
end)
guesses("pbkdf2-sha512, 210,000 iterations", 3, function()
  c.pbkdf2("sha512", "hunter2", "0123456789abcdef", 210000, 64)
end)
for _, cost in ipairs{4, 8, 10, 12} do
  guesses(("bcrypt, cost %d"):format(cost), cost >= 12 and 1 or 3, function()
    c.bcrypt("hunter2", cost, "abcdefghijklmnopqrstuu")
  end)
end
for _, N in ipairs{2^14, 2^17} do
  guesses(("scrypt, N = 2^%d, r = 8, p = 1 (%d MiB)"):format(
    math.floor(math.log(N, 2) + 0.5), 128 * 8 * N // 2^20), 3, function()
    c.scrypt("hunter2", "0123456789abcdef", N, 8, 1, 32)
  end)
end
local secret = ("x"):rep(64)
t = median_time(5, function()
  for i = 1, 200000 do c.equal(secret, secret) end
end)
report("equal (64 bytes, constant time)", 200000 / t, "compares/s")
