// answers: Which other models and methods share benchmarks or datasets with a given one, and which?
// params: model = the model's or method's name, an alias or its key, e.g. GPT-4
// returns: other, type, shared, benchmarks
MATCH (m:Entity)
WHERE toLower($model) IN m.names_lower
MATCH (m)-[:EVALUATED_ON]->(b)<-[:EVALUATED_ON]-(other:Entity)
WHERE other <> m
RETURN other.name AS other, other.type AS type, count(DISTINCT b) AS shared, collect(DISTINCT b.name) AS benchmarks
ORDER BY shared DESC, other
