-- feedback: the reference returned
-- CLOCK that forgets to set the use bit on a hit.
return function(refs, frames)
  local mem, bit, faults, evicted, hand = {}, {}, 0, {}, 1
  for _, p in ipairs(refs) do
    local at
    for f = 1, #mem do if mem[f] == p then at = f end end
    if not at then
      faults = faults + 1
      if #mem < frames then at = #mem + 1 else
        while bit[hand] do bit[hand] = false; hand = hand % frames + 1 end
        at = hand; evicted[#evicted + 1] = mem[at]; hand = hand % frames + 1
      end
      mem[at] = p; bit[at] = true
    end
  end
  return faults, evicted
end
