package io.github.alru.spring;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassVisitor;
import org.springframework.asm.Handle;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.Opcodes;
import org.springframework.asm.SpringAsmInfo;
import org.springframework.asm.Type;

/**
 * Finds, in a bean class's bytecode, calls from its own methods to its cached methods on
 * {@code this}: such a call does not go through the proxy, so it bypasses the cache.
 *
 * <p>It reads every method of the class and of its superclasses (those it can find as class-path
 * resources) and reports each instance call, or bound method reference ({@code this::fetch}), to a
 * cached method whose owner is one of those classes. A lambda's body is reported as the method that
 * declares the lambda. Without a data-flow analysis it cannot tell {@code this.fetch(1)} from
 * {@code other.fetch(1)} on another instance of the same class; the second is rare in a bean, and
 * the warning it gives then is only a warning.
 */
final class SelfInvocations {

    private SelfInvocations() {
    }

    /**
     * Describes each pair of a method that calls a cached method on {@code this}, once per pair.
     *
     * @param beanClass the bean's user class (not a proxy class)
     * @param cached the cached methods
     * @return messages such as {@code PepClient.fetchAll(List) calls fetch(int) on this, ...}
     */
    static Set<String> find(Class<?> beanClass, Collection<Method> cached) {
        Set<String> found = new LinkedHashSet<>();
        Set<String> owners = new LinkedHashSet<>();
        for (Class<?> type = beanClass; type != null && type != Object.class; type = type.getSuperclass()) {
            owners.add(Type.getInternalName(type));
        }
        for (Class<?> type = beanClass; type != null && type != Object.class; type = type.getSuperclass()) {
            byte[] bytes = bytecode(type);
            if (bytes != null) {
                new ClassReader(bytes).accept(new Scanner(type, owners, cached, found), ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            }
        }
        return found;
    }

    private static byte @Nullable [] bytecode(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        if (loader == null) {
            return null;
        }
        try (InputStream in = loader.getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null; // not readable: nothing to report
        }
    }

    private static final class Scanner extends ClassVisitor {
        private final Class<?> type;
        private final Set<String> owners;
        private final Collection<Method> cached;
        private final Set<String> found;

        Scanner(Class<?> type, Set<String> owners, Collection<Method> cached, Set<String> found) {
            super(SpringAsmInfo.ASM_VERSION);
            this.type = type;
            this.owners = owners;
            this.cached = cached;
            this.found = found;
        }

        @Override
        public @Nullable MethodVisitor visitMethod(int access, String name, String descriptor, @Nullable String signature,
                String @Nullable [] exceptions) {
            if ((access & Opcodes.ACC_STATIC) != 0 || name.equals("<init>") || name.equals("<clinit>")) {
                return null; // a static method has no this; a constructor runs before any proxy exists
            }
            if ((access & Opcodes.ACC_BRIDGE) != 0 || ((access & Opcodes.ACC_SYNTHETIC) != 0 && !name.startsWith("lambda$"))) {
                return null; // a bridge forwards the proxy's own call
            }
            String caller = callerName(name, descriptor);
            return new MethodVisitor(SpringAsmInfo.ASM_VERSION) {
                @Override
                public void visitMethodInsn(int opcode, String owner, String calledName, String calledDescriptor, boolean isInterface) {
                    boolean superCall = opcode == Opcodes.INVOKESPECIAL && calledName.equals(name) && calledDescriptor.equals(descriptor);
                    if (opcode != Opcodes.INVOKESTATIC && !superCall && owners.contains(owner)) {
                        report(caller, calledName, calledDescriptor);
                    }
                }

                @Override
                public void visitInvokeDynamicInsn(String indyName, String indyDescriptor, Handle bootstrap, Object... arguments) {
                    boolean capturesReceiver = Type.getArgumentTypes(indyDescriptor).length > 0;
                    for (Object argument : arguments) {
                        if (capturesReceiver && argument instanceof Handle handle && handle.getTag() != Opcodes.H_INVOKESTATIC
                                && owners.contains(handle.getOwner())) {
                            report(caller, handle.getName(), handle.getDesc());
                        }
                    }
                }
            };
        }

        private void report(String caller, String calledName, String calledDescriptor) {
            for (Method method : cached) {
                if (method.getName().equals(calledName) && Type.getMethodDescriptor(method).equals(calledDescriptor)) {
                    found.add(type.getSimpleName() + "." + caller + " calls " + MethodDescriptions.signature(method)
                            + " on this, which bypasses the cache: call it through the bean (inject it where it is used)"
                            + " or move the calling method to another bean");
                }
            }
        }

        /** {@code fetchAll(List)}; a lambda body {@code lambda$fetchAll$0} is named after the method that declares it. */
        private String callerName(String name, String descriptor) {
            if (name.startsWith("lambda$")) {
                String declaring = name.substring("lambda$".length(), Math.max(name.lastIndexOf('$'), "lambda$".length()));
                Method[] candidates = Arrays.stream(type.getDeclaredMethods())
                        .filter(method -> method.getName().equals(declaring) && !method.isSynthetic()).toArray(Method[]::new);
                return candidates.length == 1 ? MethodDescriptions.signature(candidates[0]) : declaring + "(...)";
            }
            return name + Arrays.stream(Type.getArgumentTypes(descriptor)).map(SelfInvocations::simpleName)
                    .collect(Collectors.joining(", ", "(", ")"));
        }
    }

    private static String simpleName(Type type) {
        String name = type.getClassName();
        return name.substring(Math.max(name.lastIndexOf('.'), name.lastIndexOf('$')) + 1);
    }
}
