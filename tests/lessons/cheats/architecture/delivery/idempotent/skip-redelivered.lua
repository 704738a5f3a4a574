-- feedback: never applied
-- Treats every redelivery as a duplicate: a crash before the effect loses it.
return function(db, apply)
  return function(d)
    if d.redelivered then return end
    apply(d.body)
  end
end
