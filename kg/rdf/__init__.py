"""RDF side of kg: facts to triples, the store, validation."""
