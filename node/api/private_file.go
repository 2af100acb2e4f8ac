package api

import (
	"fmt"
	"io/fs"
)

// NotPrivateError refuses a secret file (the API token, the node key) whose mode grants the
// group or other users any permission: whoever can read it can spend from this node.
type NotPrivateError struct {
	What string // "API token file", "key file"
	Path string
	Mode fs.FileMode
}

func (e *NotPrivateError) Error() string {
	return fmt.Sprintf("%s %s has mode %04o, which lets other users at it: run chmod 600 %s", e.What, e.Path, e.Mode.Perm(), e.Path)
}

// CheckPrivateFile returns a *NotPrivateError when info, the stat of the file at path, grants
// any group or other permission.
func CheckPrivateFile(what, path string, info fs.FileInfo) error {
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return &NotPrivateError{What: what, Path: path, Mode: perm}
	}
	return nil
}
