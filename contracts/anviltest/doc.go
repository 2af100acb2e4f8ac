// Package anviltest runs the pinned Anvil binary (npm @foundry-rs/anvil-linux-amd64,
// installed by `npm ci` in contracts/) on a free loopback port for tests and tools.
//
// One Anvil serves one test package: start it from TestMain with Main, or per test with
// Start. The process runs in its own process group and is always killed when the test
// (or the returned Anvil) stops. A missing binary is a failure, never a skip, so CI
// cannot silently stop exercising the real chain.
//
// This package imports nothing of Sluice's own.
package anviltest
