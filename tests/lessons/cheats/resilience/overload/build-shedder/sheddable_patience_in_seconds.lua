-- feedback: Shed the sheddable ones first
-- seconds written in: sheddable requests wait up to 0.3 s, whatever the timeout
return function(waited, timeout, priority)
  if priority == "critical" then return true end
  return waited < 0.3
end
