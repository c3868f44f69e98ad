// Package lab is the small part of `dockerlab lab` that the exercise code
// itself uses. A student tree made by `dockerlab lab gen` (or a working tree
// after `dockerlab lab start ID`) has some function bodies replaced by a stub
// that ends in lab.TODO("ID"); the stub compiles, and anything that reaches
// it learns which exercise is not written yet instead of crashing somewhere
// far away.
//
// Not upstream: dockerlab's teaching tool (docs/teaching.md). The package is
// outside internal/ because the stubbed code in v0_1/ and v1_2/ imports it,
// and it uses the standard library only, so importing it never changes what
// a package depends on. The tool itself is internal/lab.
package lab

import (
	"errors"
	"fmt"
)

// TodoError is what a stub returns (or panics with): the exercise ID whose
// code is still missing.
type TodoError struct {
	ID string
}

// Error names the exercise and the two commands that help. `dockerlab lab
// check` looks for this text in failing tests' output.
func (e *TodoError) Error() string {
	return fmt.Sprintf("exercise %s is not done yet (lab.TODO): write it, then run `dockerlab lab check %s`; stuck? run `dockerlab lab hint %s`",
		e.ID, e.ID, e.ID)
}

// TODO is the stub's answer for the exercise id. Its static type is error
// so that a stub can return it where the function returns an error:
//
//	return nil, lab.TODO("ch06.request-ip")
//
// and panic with it everywhere else.
func TODO(id string) error {
	return &TodoError{ID: id}
}

// IsTODO reports whether err is, or wraps, a TodoError, and for which
// exercise. A daemon or demo can use it to print "exercise … is not done"
// instead of a stack trace.
func IsTODO(err error) (id string, ok bool) {
	var todo *TodoError
	if errors.As(err, &todo) {
		return todo.ID, true
	}
	return "", false
}
