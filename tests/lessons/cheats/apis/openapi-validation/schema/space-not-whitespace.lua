-- feedback: the reference returned
-- the e-mail pattern refuses a space but not a tab or a newline
return {
  type = "object",
  required = {"sku", "quantity", "email"},
  properties = {
    sku = {type = "string", pattern = "^[A-Z]{3}-[0-9]{4}$"},
    quantity = {type = "integer", minimum = 1, maximum = 100},
    email = {type = "string", maxLength = 254,
             pattern = "^[^@ ]+@[^@ ]+$"},
    gift = {type = "boolean"},
    note = {type = "string", maxLength = 140},
    voucher = {type = {"string", "integer"}, minLength = 6,
               maxLength = 12, minimum = 1000},
    tags = {type = "array", maxItems = 3,
            items = {type = "string", minLength = 1, maxLength = 20}},
  },
  additionalProperties = false,
}
