// answers: Which metrics do papers report results for on a benchmark or dataset, how many results each, and the range of values stated?
// params: benchmark = the benchmark's or dataset's name, an alias or its key, e.g. GSM8K
// returns: metric, results, subjects, lowest, highest, unit
MATCH (b:Entity) WHERE toLower($benchmark) IN b.names_lower
MATCH (b)<-[:ON_DATASET]-(r:Result)-[:MEASURES]->(m:Metric)
WHERE NOT r.relative
MATCH (r)-[:RESULT_OF]->(s:Entity)
RETURN m.name AS metric, count(DISTINCT r) AS results, collect(DISTINCT s.name) AS subjects,
       min(r.value) AS lowest, max(r.value) AS highest, head(collect(r.unit)) AS unit
ORDER BY results DESC, metric
