// A grid of characters to draw boxes and lines on (netdiagram's only
// drawing primitive). Rows grow as needed; String trims trailing blanks so
// golden files stay tidy.
package netdiagram

import "strings"

type canvas struct {
	rows [][]rune
}

// put writes s starting at column x of row y.
func (c *canvas) put(x, y int, s string) {
	for len(c.rows) <= y {
		c.rows = append(c.rows, nil)
	}
	for i, r := range []rune(s) {
		c.set(x+i, y, r)
	}
}

func (c *canvas) set(x, y int, r rune) {
	for len(c.rows) <= y {
		c.rows = append(c.rows, nil)
	}
	row := c.rows[y]
	for len(row) <= x {
		row = append(row, ' ')
	}
	row[x] = r
	c.rows[y] = row
}

// box draws a rectangle w wide and h high with its top-left corner at x,y.
func (c *canvas) box(x, y, w, h int) {
	c.hline(x, y, w)
	c.hline(x, y+h-1, w)
	for j := y + 1; j < y+h-1; j++ {
		c.set(x, j, '|')
		c.set(x+w-1, j, '|')
	}
}

// hline draws "+-----+" w wide.
func (c *canvas) hline(x, y, w int) {
	c.put(x, y, "+"+strings.Repeat("-", w-2)+"+")
}

func (c *canvas) height() int { return len(c.rows) }

func (c *canvas) String() string {
	var b strings.Builder
	for _, row := range c.rows {
		b.WriteString(strings.TrimRight(string(row), " "))
		b.WriteByte('\n')
	}
	return b.String()
}
