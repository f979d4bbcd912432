// answers: Which models and methods were evaluated on a benchmark or dataset, ranked by how many of the others evaluated there they are stated to outperform?
// params: benchmark = the benchmark's or dataset's name, an alias or its key, e.g. ImageNet
// returns: entity, type, wins, losses, papers
MATCH (b:Entity)
WHERE (b:Benchmark OR b:Dataset)
  AND (toLower($benchmark) IN b.names_lower)
MATCH (e:Entity)-[ev:EVALUATED_ON]->(b)
WITH b, collect(DISTINCT e) AS contenders
UNWIND contenders AS e
OPTIONAL MATCH (e)-[w:OUTPERFORMS]->(loser) WHERE loser IN contenders
WITH b, contenders, e, count(DISTINCT loser) AS wins
OPTIONAL MATCH (winner)-[:OUTPERFORMS]->(e) WHERE winner IN contenders
WITH b, e, wins, count(DISTINCT winner) AS losses
MATCH (e)-[ev:EVALUATED_ON]->(b)
RETURN e.name AS entity, e.type AS type, wins, losses, ev.papers AS papers
ORDER BY wins DESC, losses ASC, entity
