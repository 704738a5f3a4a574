-- feedback: is not available to your code
return function(refs, frames)
  local r = lab.os.paging{refs = refs, frames = frames, policy = "clock", trace = true}
  local ev = {}
  for _, t in ipairs(r.trace) do if t.evicted then ev[#ev + 1] = t.evicted end end
  return r.faults, ev
end
