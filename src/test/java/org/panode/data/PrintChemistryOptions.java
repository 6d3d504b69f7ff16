package org.panode.data;

/** Prints the stiff chemistry's solver options as they enter its data's cache key (for {@link RoberTest}). */
public final class PrintChemistryOptions {
  private PrintChemistryOptions() {}

  public static void main(String[] args) {
    System.out.println(StiffChemistry.OPTIONS);
  }
}
