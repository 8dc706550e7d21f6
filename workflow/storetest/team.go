package storetest

// teamCases cover the team model ([workflow.TeamStore]).
var teamCases = []storeCase{}
