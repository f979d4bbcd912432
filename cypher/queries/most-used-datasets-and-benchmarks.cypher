// answers: Which datasets and benchmarks are used most: by how many papers mention them and how many models and methods are evaluated or trained on them?
// params: limit = how many rows to return, e.g. 20
// returns: name, type, papers, evaluated, trained
MATCH (d:Entity) WHERE d:Dataset OR d:Benchmark
OPTIONAL MATCH (p:Paper)-[:MENTIONS]->(d)
WITH d, count(DISTINCT p) AS papers
OPTIONAL MATCH (e)-[:EVALUATED_ON]->(d)
WITH d, papers, count(DISTINCT e) AS evaluated
OPTIONAL MATCH (t)-[:TRAINED_ON]->(d)
RETURN d.name AS name, d.type AS type, papers, evaluated, count(DISTINCT t) AS trained
ORDER BY papers DESC, evaluated DESC, name
LIMIT toInteger($limit)
