package org.panode;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.testng.annotations.Test;

/** The module org.panode exports the public packages and keeps the generated bindings internal. */
public class ModuleExportsTest {
  @Test
  public void publicPackagesAreExportedAndTheBindingsAreNot() throws Exception {
    Path descriptor = Path.of("target/classes/module-info.class");
    ModuleDescriptor module;
    try (InputStream in = Files.newInputStream(descriptor)) {
      module = ModuleDescriptor.read(in);
    }
    assertEquals(module.name(), "org.panode");
    Set<String> exported = module.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    assertTrue(exported.containsAll(Set.of("org.panode.petsc", "org.panode.ode", "org.panode.solve", "org.panode.nn",
        "org.panode.train")), exported.toString());
    assertFalse(exported.contains("org.panode.internal.bindings"), "the generated bindings must stay internal");
    assertFalse(exported.contains("org.panode.cli"), "the command line is an application, not API");
  }

  @Test
  public void commandLineAndDl4jModulesAreOnlyStaticRequirements() throws Exception {
    ModuleDescriptor module;
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      module = ModuleDescriptor.read(in);
    }
    Set<String> optional = Set.of("info.picocli", "org.knowm.xchart", "me.tongfei.progressbar",
        "com.fasterxml.jackson.databind", "deeplearning4j.nn");
    for (ModuleDescriptor.Requires r : module.requires()) {
      if (optional.contains(r.name())) {
        assertTrue(r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC), r.name() + " must be requires static");
      }
    }
  }
}
