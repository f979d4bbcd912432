// answers: The results stated on a benchmark or dataset for one metric, best first: who reached which value, in which setting, according to which paper and sentence. Absolute values only (not "by 2%").
// params: benchmark = the benchmark's or dataset's name, an alias or its key, e.g. ImageNet; metric = the metric's name, an alias or its key, e.g. top-1 accuracy; direction = desc when higher is better (accuracy), asc when lower is (perplexity, latency)
// returns: rank, value, unit, subject, setting, paper, sentence
MATCH (b:Entity) WHERE toLower($benchmark) IN b.names_lower
MATCH (m:Metric) WHERE toLower($metric) IN m.names_lower
MATCH (b)<-[:ON_DATASET]-(r:Result)-[:MEASURES]->(m)
WHERE NOT r.relative
MATCH (r)-[:RESULT_OF]->(s:Entity)
WITH r, s ORDER BY CASE WHEN toLower($direction) = 'asc' THEN r.value ELSE -r.value END, s.name
WITH collect({r: r, s: s}) AS rows
UNWIND range(0, size(rows) - 1) AS i
RETURN i + 1 AS rank, rows[i].r.value AS value, rows[i].r.unit AS unit, rows[i].s.name AS subject,
       rows[i].r.setting AS setting, rows[i].r.paper AS paper, rows[i].r.sentence AS sentence
ORDER BY rank
