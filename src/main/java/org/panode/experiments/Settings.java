package org.panode.experiments;

import java.nio.file.Path;

/** What the command line chose for a run (defaults come from the experiment). */
public record Settings(int grid, String method, double step, int epochs, int batch, double learningRate, String optimizer,
    long seed, Path output) {}
