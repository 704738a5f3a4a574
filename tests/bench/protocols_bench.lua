-- lab.http and lab.url through Lua: MB/s of input parsed, beside a
-- straightforward pure-Lua parser of the same HTTP request heads (request
-- line and header fields only, no validation: an upper bound for Lua).

local request = table.concat({
  "GET /api/v2/orders/12345?include=items,customer&sort=-date HTTP/1.1",
  "Host: shop.example.com",
  "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
  "Accept: application/json, text/plain, */*",
  "Accept-Language: en-GB,en;q=0.7,fr;q=0.3",
  "Accept-Encoding: gzip, deflate, br",
  "Referer: https://shop.example.com/orders",
  "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJl",
  "Connection: keep-alive",
  "Cookie: session=8f14e45fceea167a5a36dedd4bea2543; theme=dark",
  "Cache-Control: no-cache", "", ""}, "\r\n")

local function lua_parse(s)
  local method, target, version, pos = s:match("^(%S+) (%S+) (HTTP/%d%.%d)\r\n()")
  local headers = {}
  while true do
    if s:sub(pos, pos + 1) == "\r\n" then break end
    local name, value, nxt = s:match("^([^:\r\n]+):[ \t]*([^\r\n]-)[ \t]*\r\n()", pos)
    headers[#headers + 1] = {name = name, value = value}
    pos = nxt
  end
  return {method = method, target = target, version = version, headers = headers}
end

local n = 20000
local mb = #request * n / 1e6
local t_lab = median_time(5, function()
  for _ = 1, n do lab.http.parse_request(request) end
end)
local t_lua = median_time(5, function()
  for _ = 1, n do lua_parse(request) end
end)
print(("  %-44s lab %7.1f MB/s   pure Lua %7.1f MB/s   ratio %5.1fx"):format(
  "http: parse_request (~700 B)", mb / t_lab, mb / t_lua, t_lua / t_lab))

local stream = request:rep(200)
local t_stream = median_time(5, function()
  for _ = 1, 100 do lab.http.parser{}:feed(stream) end
end)
report("http: parser:feed, 200 pipelined requests", #stream * 100 / t_stream / 1e6, "MB/s")

local urls = {
  "https://shop.example.com/api/v2/orders/12345?include=items&sort=-date#top",
  "http://user:pass@example.org:8080/a/b/../c/./d.html?q=a%20b",
  "https://www.example.com/", "../images/logo.png",
  "//cdn.example.net/static/app.8f14e45f.js", "https://[2001:db8::1]:8443/health",
  "mailto:someone@example.com",
  "https://example.com/search?q=caf%C3%A9+cr%C3%A8me&lang=fr",
  "file:///home/user/notes.txt", "http://192.168.1.10/router/status",
}
local bytes = 0
for _, u in ipairs(urls) do bytes = bytes + #u end
local base = "https://www.example.com/docs/page.html"
local t_url = median_time(5, function()
  for _ = 1, 2000 do
    for _, u in ipairs(urls) do lab.url.parse(u, base) end
  end
end)
report("url: lab.url.parse with a base", bytes * 2000 / t_url / 1e6, "MB/s")
