"""kg's benchmark: a generator of realistic synthetic resolutions with gold facts, and a benchmark run that
measures build, extraction, queries and views against baselines on the same corpus."""
