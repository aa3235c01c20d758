//go:build !unix

package content_test

import "errors"

func mkfifo(p string) error { return errors.New("no named pipes") }
