package org.panode.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The header of a .npy file: a Python dict literal such as
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }}. Parsed strictly: exactly
 * these three keys, any order and spacing, strings in single or double quotes.
 */
record NpyHeader(String descr, boolean fortranOrder, int[] shape) {
  NpyHeader {
    shape = shape.clone();
  }

  /** The dict literal NumPy writes (without padding). */
  String format() {
    StringBuilder s = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': ")
        .append(fortranOrder ? "True" : "False").append(", 'shape': (");
    for (int i = 0; i < shape.length; i++) {
      s.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return s.append(shape.length == 1 ? ",), }" : "), }").toString();
  }

  /** Parses a header; IllegalArgumentException saying what is wrong. */
  static NpyHeader parse(String text) {
    return new Parser(text).header();
  }

  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    NpyHeader header() {
      String descr = null;
      Boolean fortran = null;
      int[] shape = null;
      expect('{');
      while (!peek('}')) {
        String key = string();
        expect(':');
        switch (key) {
          case "descr" -> descr = string();
          case "fortran_order" -> fortran = bool();
          case "shape" -> shape = tuple();
          default -> throw error("unknown key '" + key + "'");
        }
        if (!peek('}')) {
          expect(',');
        }
      }
      expect('}');
      skipSpace();
      if (i != s.length()) {
        throw error("text after the closing brace");
      }
      if (descr == null || fortran == null || shape == null) {
        throw error("it needs the keys 'descr', 'fortran_order' and 'shape'");
      }
      return new NpyHeader(descr, fortran, shape);
    }

    private String string() {
      skipSpace();
      char quote = i < s.length() ? s.charAt(i) : 0;
      if (quote != '\'' && quote != '"') {
        throw error("expected a quoted string");
      }
      int end = s.indexOf(quote, i + 1);
      if (end < 0) {
        throw error("unterminated string");
      }
      String value = s.substring(i + 1, end);
      i = end + 1;
      return value;
    }

    private boolean bool() {
      skipSpace();
      for (String word : new String[] {"True", "False"}) {
        if (s.startsWith(word, i)) {
          i += word.length();
          return word.equals("True");
        }
      }
      throw error("expected True or False");
    }

    private int[] tuple() {
      expect('(');
      List<Integer> dims = new ArrayList<>();
      boolean comma = false;
      while (!peek(')')) {
        skipSpace();
        int start = i;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
          i++;
        }
        if (start == i) {
          throw error("expected a dimension (a non-negative integer)");
        }
        try {
          dims.add(Integer.parseInt(s.substring(start, i)));
        } catch (NumberFormatException e) {
          throw error("dimension " + s.substring(start, i) + " is too large");
        }
        comma = peek(',');
        if (comma) {
          expect(',');
        } else if (!peek(')')) {
          throw error("expected ',' or ')' in the shape");
        }
      }
      expect(')');
      if (dims.size() == 1 && !comma) {
        throw error("a 1-d shape is written (n,)");
      }
      return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    private boolean peek(char c) {
      skipSpace();
      return i < s.length() && s.charAt(i) == c;
    }

    private void expect(char c) {
      if (!peek(c)) {
        throw error("expected '" + c + "'");
      }
      i++;
    }

    private void skipSpace() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException("bad .npy header at character " + i + " (" + what + "): " + s.strip());
    }
  }
}
