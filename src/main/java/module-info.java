/**
 * Panode: PETSc's time integrators, discrete adjoints and solvers for Java, and stiff neural ODEs.
 * The generated bindings ({@code org.panode.internal.bindings}) are not exported.
 */
module org.panode {
  requires java.desktop;
  requires nd4j.api;
  requires nd4j.common;
  requires nd4j.cpu;
  requires org.bytedeco.javacpp;
  requires org.bytedeco.openblas;
  requires JTransforms;
  // Optional in the pom: only Dl4jTerm needs DL4J, and only the command line (org.panode.cli)
  // needs the others; a library user's build does not get them.
  requires static deeplearning4j.nn;
  requires static info.picocli;
  requires static com.fasterxml.jackson.databind;
  requires static org.knowm.xchart;
  requires static me.tongfei.progressbar;

  exports org.panode.petsc;
  exports org.panode.ode;
  exports org.panode.solve;
  exports org.panode.nn;
  exports org.panode.train;
  exports org.panode.data;
  exports org.panode.experiments;
  exports org.panode.grand;
  exports org.panode.examples;

  opens org.panode.cli to info.picocli, com.fasterxml.jackson.databind;
}
