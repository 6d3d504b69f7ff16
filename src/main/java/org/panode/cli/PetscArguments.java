package org.panode.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into Panode's own arguments and PETSc options. A PETSc option is a token
 * with one dash and a known PETSc prefix (-ts_, -ksp_, -pc_, -snes_, -log_view, -mat_, -vec_,
 * -options_, -malloc, -help), followed by its value when the next token is not an option
 * (negative numbers count as values).
 */
public record PetscArguments(List<String> own, List<String> petsc) {
  private static final List<String> PREFIXES = List.of("-ts_", "-ksp_", "-pc_", "-snes_", "-mat_", "-vec_", "-options_",
      "-log_", "-malloc", "-info", "-help", "-node_");

  public static PetscArguments split(String[] args) {
    List<String> own = new ArrayList<>(), petsc = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (isPetscOption(a)) {
        petsc.add(a);
        if (i + 1 < args.length && isValue(args[i + 1])) {
          petsc.add(args[++i]);
        }
      } else {
        own.add(a);
      }
    }
    return new PetscArguments(List.copyOf(own), List.copyOf(petsc));
  }

  static boolean isPetscOption(String token) {
    if (!token.startsWith("-") || token.startsWith("--")) {
      return false;
    }
    for (String p : PREFIXES) {
      if (token.startsWith(p) || token.equals(p.replace("_", ""))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isValue(String token) {
    return !token.startsWith("-") || (token.length() > 1 && (Character.isDigit(token.charAt(1)) || token.charAt(1) == '.'));
  }
}
