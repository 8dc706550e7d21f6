package storetest

// dueCases cover the due index ([workflow.DueIndex]).
var dueCases = []storeCase{}
