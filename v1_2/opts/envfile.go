// --env-file: read environment variables from a file, one per line.
//
// Upstream: opts/envfile.go at v1.2.0.
package opts

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

const whiteSpaces = " \t"

// ErrBadEnvVariable is returned for a variable name with blanks inside.
type ErrBadEnvVariable struct {
	msg string
}

func (e ErrBadEnvVariable) Error() string {
	return fmt.Sprintf("poorly formatted environment: %s", e.msg)
}

// ParseEnvFile reads filename. Empty lines and lines starting with '#' are
// skipped; "KEY=VALUE" keeps VALUE untouched (spaces and all); a bare "KEY"
// takes its value from the client's environment, like ValidateEnv.
func ParseEnvFile(filename string) ([]string, error) {
	fh, err := os.Open(filename)
	if err != nil {
		return []string{}, err
	}
	defer fh.Close()

	lines := []string{}
	scanner := bufio.NewScanner(fh)
	for scanner.Scan() {
		line := scanner.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, hasValue := strings.Cut(line, "=")
		if !hasValue {
			lines = append(lines, strings.TrimSpace(line)+"="+os.Getenv(line))
			continue
		}
		name = strings.TrimLeft(name, whiteSpaces)
		if strings.ContainsAny(name, whiteSpaces) {
			return []string{}, ErrBadEnvVariable{fmt.Sprintf("variable '%s' has white spaces", name)}
		}
		lines = append(lines, name+"="+value)
	}
	return lines, scanner.Err()
}
