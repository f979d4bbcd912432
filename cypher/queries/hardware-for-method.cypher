// answers: On which hardware is a given model or method run, deployed or measured?
// params: method = the model's or method's name, an alias or its key, e.g. GPTQ
// returns: hardware, support, papers, evidence
MATCH (m:Entity)
WHERE toLower($method) IN m.names_lower
MATCH (m)-[r:RUNS_ON]->(h:Hardware)
RETURN h.name AS hardware, r.support AS support, r.papers AS papers, r.evidence AS evidence
ORDER BY support DESC, hardware
