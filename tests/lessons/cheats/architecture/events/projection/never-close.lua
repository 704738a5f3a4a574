-- feedback: the read model is
-- Ignores "closed": closed accounts stay in the read model.
return {apply = function(state, e)
  if e.type == "opened" then state[e.stream] = 0
  elseif e.type == "deposited" then state[e.stream] = state[e.stream] + tonumber(e.data)
  elseif e.type == "withdrawn" then state[e.stream] = state[e.stream] - tonumber(e.data) end
  return state
end}
