-- feedback: You placed 0 of
-- Places nothing, so nothing can be wrong.
return {pack = function() return {} end}
