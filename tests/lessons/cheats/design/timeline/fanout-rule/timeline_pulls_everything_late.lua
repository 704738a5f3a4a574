-- feedback: Read latency p99
-- Pushes nothing at all once past the first second: every account gets pulled.
return function(post)
  if post.at < 1 then return "write" end
  return "read"
end
