package check

// ExternalURLProblem exposes externalURLProblem to the tests.
var ExternalURLProblem = externalURLProblem
