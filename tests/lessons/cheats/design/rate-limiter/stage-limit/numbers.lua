-- feedback: Component 1 of your design is a number
-- not a design: numbers for components
return {1, 2}
