// Package protoreg lets go-libp2p-pubsub and the etcd client live in one binary. Both
// register a protobuf file named "rpc.proto" (packages pubsub.pb and etcdserverpb), and the
// protobuf runtime panics at start on a second file of the same path in its global
// registry, although the two files declare nothing in common and registering both is
// otherwise allowed. Importing this package for its side effect, before either of them
// initialises, sets the runtime's documented switch to let the second file register:
// package initialisation runs in import-path order among ready packages, and this one
// (github.com/sluicepay/...) depends only on os and sorts before go.etcd.io/...
// An operator's own GOLANG_PROTOBUF_REGISTRATION_CONFLICT setting is kept.
package protoreg

import "os"

const env = "GOLANG_PROTOBUF_REGISTRATION_CONFLICT"

func init() {
	if os.Getenv(env) == "" {
		_ = os.Setenv(env, "ignore")
	}
}
