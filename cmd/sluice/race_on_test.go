//go:build race

package main

// raceEnabled makes TestMain build the binary with -race too, reusing the packages
// `go test -race` has just compiled instead of compiling the whole tree a second time.
const raceEnabled = true
