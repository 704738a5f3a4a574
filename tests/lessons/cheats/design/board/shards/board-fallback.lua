-- feedback: fallback
-- An overloaded database behind a fallback: rejections count as answers.
return {
  {name = "web", kind = "app", instances = 3,
   calls = {{to = "db", timeout = 0.5, fallback = true}}},
  {name = "db", kind = "db"},
}
