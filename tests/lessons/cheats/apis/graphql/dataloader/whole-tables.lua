-- feedback: not whole tables
-- Three queries, each a whole table, joined in Lua: few round trips, but
-- it reads every row of every table on every request.
return function(db, first)
  local users = db:fetch("users", "id", nil, first)
  local posts = db:fetch("posts", "id", nil)
  local comments = db:fetch("comments", "id", nil)
  local out = {}
  for i, u in ipairs(users) do
    local ps = {}
    for _, p in ipairs(posts) do
      if p.author_id == u.id then
        local cs = {}
        for _, c in ipairs(comments) do
          if c.post_id == p.id then cs[#cs + 1] = {body = c.body} end
        end
        ps[#ps + 1] = {title = p.title, comments = cs}
      end
    end
    out[i] = {name = u.name, posts = ps}
  end
  return out
end
