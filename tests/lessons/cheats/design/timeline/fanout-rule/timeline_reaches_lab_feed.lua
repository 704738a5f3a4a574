-- feedback: your rule raised
-- Asks lab.feed's own hybrid what to do (lab.feed is not in the file's lab).
return function(post)
  local r = lab.feed.run{accounts = {post.followers}, posts = 0, reads = 0,
    strategy = "hybrid"}
  return r.pulled > 0 and "read" or "write"
end
