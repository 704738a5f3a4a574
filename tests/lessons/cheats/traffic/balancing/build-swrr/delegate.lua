-- feedback: is not available to your code
return {new = function(list)
  local b = lab.lb.new{strategy = "swrr", backends = list}
  return {pick = function()
    local i, name = b:pick()
    b:done(i, 0)
    return name
  end}
end}
