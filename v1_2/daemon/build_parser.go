// Reading a Dockerfile: comments out, continuation lines joined, one
// instruction per line, and each instruction found as a method of the
// buildFile by its name (reflection), so that adding an instruction to
// Docker 1.2 was writing one method.
//
// Upstream: daemon/build.go at v1.2.0 (stripComments, lineContinuation,
// the loop of Build, BuildStep, buildCmdFromJson, FindEnvKey,
// ReplaceEnvMatches).
// Book: ch.11 §11.3 Dockerfile命令解析流程.
//
// The rules, as 1.2 had them:
//   - a line whose first character is '#' is a comment, an empty line is
//     nothing (an indented '#' is not a comment);
//   - a backslash, optional spaces and the end of the line join the line
//     with the next, with nothing put between them;
//   - tabs become spaces and each line is trimmed;
//   - the instruction is the first word, any case; the rest, trimmed, is
//     its argument; an instruction with no argument is "Invalid
//     Dockerfile format";
//   - an instruction without a Cmd<Name> method is skipped with a warning.
package daemon

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"
)

// lineContinuation: a backslash, any white space, a newline.
var lineContinuation = regexp.MustCompile(`\\\s*\n`)

// stripComments drops empty lines and lines starting with '#'.
//
//lab:exercise ch11.dockerfile-lines
func stripComments(raw []byte) string {
	var out []string
	for _, l := range strings.Split(string(raw), "\n") {
		if len(l) == 0 || l[0] == '#' {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// dockerfileLines turns a Dockerfile into its instructions, one per
// line, in order. Not upstream: a line longer than MaxDockerfileLine is
// refused before any step runs.
//
//lab:exercise ch11.dockerfile-lines
func dockerfileLines(raw []byte) ([]string, error) {
	dockerfile := lineContinuation.ReplaceAllString(stripComments(raw), "")
	var lines []string
	for _, line := range strings.Split(dockerfile, "\n") {
		line = strings.Trim(strings.Replace(line, "\t", " ", -1), " \t\r\n")
		if len(line) == 0 {
			continue
		}
		if len(line) > MaxDockerfileLine {
			return nil, fmt.Errorf("Dockerfile instruction %d (%.40s…) is %d bytes long, more than the limit of %d", len(lines), line, len(line), MaxDockerfileLine)
		}
		lines = append(lines, line)
	}
	return lines, nil
}

// instructionType is the shape every instruction method has.
var instructionType = reflect.TypeOf((func(*buildFile, string) error)(nil))

// BuildStep prints "Step <name> : <expression>", runs the instruction and
// prints the image it left (" ---> <id>").
func (b *buildFile) BuildStep(name, expression string) error {
	fmt.Fprintf(b.outStream, "Step %s : %s\n", name, expression)
	tmp := strings.SplitN(expression, " ", 2)
	if len(tmp) != 2 {
		return fmt.Errorf("Invalid Dockerfile format")
	}
	instruction := strings.ToLower(strings.Trim(tmp[0], " "))
	arguments := strings.Trim(tmp[1], " ")

	method, exists := instructionMethod(instruction)
	if !exists {
		fmt.Fprintf(b.errStream, "# Skipping unknown instruction %s\n", strings.ToUpper(instruction))
		return nil
	}

	ret := method.Func.Call([]reflect.Value{reflect.ValueOf(b), reflect.ValueOf(arguments)})[0].Interface()
	if ret != nil {
		return ret.(error)
	}

	fmt.Fprintf(b.outStream, " ---> %s\n", TruncateID(b.image))
	return nil
}

// instructionMethod finds an instruction's method by name: "run" is
// CmdRun. Not upstream: the method must have an instruction's shape, so
// a Dockerfile can never call some other Cmd… method by its name.
func instructionMethod(instruction string) (reflect.Method, bool) {
	name := "Cmd" + strings.ToUpper(instruction[:1]) + strings.ToLower(instruction[1:])
	method, exists := reflect.TypeOf((*buildFile)(nil)).MethodByName(name)
	return method, exists && method.Type == instructionType
}

// DescribeDockerfile is §11.3 for a reader: each instruction of raw as
// Build will see it (comments gone, continuation lines joined), with the
// method BuildStep will call for it. Not upstream: chapter 11's demo
// prints it.
func DescribeDockerfile(raw []byte) ([]string, error) {
	lines, err := dockerfileLines(raw)
	if err != nil {
		return nil, err
	}
	var out []string
	for n, line := range lines {
		instruction, arguments, ok := strings.Cut(line, " ")
		method, exists := instructionMethod(strings.ToLower(instruction))
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("Step %d : %s  →  no argument: \"Invalid Dockerfile format\"", n, line))
		case !exists:
			out = append(out, fmt.Sprintf("Step %d : %s  →  no method Cmd…: skipped with a warning", n, line))
		default:
			out = append(out, fmt.Sprintf("Step %d : %s  →  (*buildFile).%s(%q)", n, line, method.Name, strings.Trim(arguments, " ")))
		}
	}
	return out, nil
}

// buildCmdFromJson: RUN, CMD and ENTRYPOINT take a JSON array of strings
// (the exec form) or anything else, run by /bin/sh -c (the shell form).
//
// Divergence: 1.2 ran anything that is not valid JSON through the
// shell, so CMD ["echo" "hi"] (a comma missing) or ['echo', 'hi'] built
// fine and failed only at `docker run`, with "sh: [echo: not found".
// Text that starts like the exec form (`["` or `['`) but is not a JSON
// array of strings is an error here; `[ -f x ]`, the shell's test, still
// runs through the shell.
func (b *buildFile) buildCmdFromJson(instruction, args string) ([]string, error) {
	var cmd []string
	err := json.Unmarshal([]byte(args), &cmd)
	if err == nil {
		return cmd, nil
	}
	if strings.HasPrefix(args, `["`) || strings.HasPrefix(args, `['`) {
		return nil, fmt.Errorf("%s %s: this is neither a JSON array of strings (%v) nor meant for the shell; write the exec form as %s [\"executable\", \"arg\"] with double quotes and commas", instruction, args, err, instruction)
	}
	return []string{"/bin/sh", "-c", args}, nil
}

// FindEnvKey is the index of key in the config's Env, or -1.
func (b *buildFile) FindEnvKey(key string) int {
	for k, envVar := range b.config.Env {
		if name, _, _ := strings.Cut(envVar, "="); name == key {
			return k
		}
	}
	return -1
}

// envReference is a $NAME or ${NAME} with what comes before it: a run of
// backslashes (escaped backslashes), any other character, a word
// boundary or the start of the text. A lone backslash before '$' is none
// of those, so \$NAME is left alone.
var envReference = regexp.MustCompile(`(\\\\+|[^\\]|\b|\A)\$({?)([[:alnum:]_]+)(}?)`)

// ReplaceEnvMatches puts the values of ENV variables into value (ENV,
// ADD, COPY). As 1.2 did it: every reference found is replaced wherever
// its exact text occurs, and a name the Env does not have stays as
// written (so "$HOME" stays "$HOME" unless an ENV set it).
func (b *buildFile) ReplaceEnvMatches(value string) (string, error) {
	for _, match := range envReference.FindAllString(value, -1) {
		match = match[strings.Index(match, "$"):]
		matchKey := strings.Trim(match, "${}")
		for _, envVar := range b.config.Env {
			envKey, envValue, _ := strings.Cut(envVar, "=")
			if envKey == matchKey {
				value = strings.Replace(value, match, envValue, -1)
				break
			}
		}
	}
	return value, nil
}
