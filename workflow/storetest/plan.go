package storetest

// planCases cover the planning state ([workflow.PlanStore]).
var planCases = []storeCase{}
