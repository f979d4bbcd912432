// answers: What does a given model or method outperform, according to which papers and sentences?
// params: method = the model's or method's name, an alias or its key, e.g. SparseGPT
// returns: beaten, type, support, papers, evidence
MATCH (m:Entity)
WHERE toLower($method) IN m.names_lower
MATCH (m)-[r:OUTPERFORMS]->(other:Entity)
RETURN other.name AS beaten, other.type AS type, r.support AS support, r.papers AS papers, r.evidence AS evidence
ORDER BY support DESC, beaten
