-- feedback: the reference returned
-- Lua's own quoting looks close: "\n" becomes a backslash and a newline
return {quote = function(s) return (string.format("%q", s)) end}
