package io.github.alru.autoconfigure;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.github.alru.AlruCacheable;
import org.springframework.aop.Advisor;
import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Gives each bean with {@link AlruCacheable} methods a cache per method and an advice in front of
 * every other advice on the bean, {@code @Async}'s included.
 *
 * <p>This post-processor deliberately implements no {@code Ordered}: Spring runs such
 * post-processors after all ordered ones, so it sees the bean after Spring's
 * {@code AsyncAnnotationBeanPostProcessor} has put its advisor at the head of the proxy's chain,
 * and puts its own advisor before that one. A cache hit therefore returns a completed future on
 * the caller's thread without submitting a task, and concurrent cold calls submit one.
 */
public class AlruCacheableBeanPostProcessor implements BeanPostProcessor, SmartInitializingSingleton {

    private final ObjectProvider<AlruProperties> properties;
    private final ObjectProvider<DefaultAlruCacheRegistry> registry;
    private final Environment environment;
    private final Map<String, Method> declaredNames = new ConcurrentHashMap<>();
    private volatile CachedMethodFactory factory;

    /**
     * Creates the post-processor; its collaborators are looked up when the first bean needs them.
     *
     * @param properties alru's settings
     * @param registry where created caches are registered
     * @param environment resolves {@code ${...}} in annotation values and the proxy settings
     */
    public AlruCacheableBeanPostProcessor(ObjectProvider<AlruProperties> properties,
            ObjectProvider<DefaultAlruCacheRegistry> registry, Environment environment) {
        this.properties = properties;
        this.registry = registry;
        this.environment = environment;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof AopInfrastructureBean) {
            return bean;
        }
        Class<?> targetClass = AopUtils.getTargetClass(bean);
        if (!AnnotationUtils.isCandidateClass(targetClass, AlruCacheable.class)) {
            return bean;
        }
        Map<Method, AlruCacheable> annotated = MethodIntrospector.selectMethods(targetClass,
                (MethodIntrospector.MetadataLookup<AlruCacheable>) method ->
                        AnnotatedElementUtils.findMergedAnnotation(method, AlruCacheable.class));
        if (annotated.isEmpty()) {
            return bean;
        }
        List<CachedMethod> cached = createCaches(beanName, annotated);
        if (cached.isEmpty()) {
            return bean;
        }
        return advise(bean, targetClass, cached);
    }

    private List<CachedMethod> createCaches(String beanName, Map<Method, AlruCacheable> annotated) {
        CachedMethodFactory methods = factory();
        List<CachedMethod> cached = new ArrayList<>();
        annotated.entrySet().stream()
                .sorted(Comparator.comparing(entry -> entry.getKey().toGenericString()))
                .forEach(entry -> {
                    Method method = entry.getKey();
                    ReturnKind kind = ReturnKind.of(method); // checked even when the cache is disabled
                    String name = CachedMethodFactory.nameOf(beanName, method, entry.getValue());
                    declare(name, method);
                    if (methods.isEnabled(name)) {
                        CachedMethod cache = methods.create(name, method, kind, entry.getValue());
                        registry.getObject().register(cache);
                        cached.add(cache);
                    }
                });
        return cached;
    }

    private void declare(String name, Method method) {
        Method previous = declaredNames.putIfAbsent(name, method);
        if (previous != null) {
            throw new AlruConfigurationException("alru cache name '" + name + "' is used by two methods: "
                    + CachedMethodFactory.describe(previous) + " and " + CachedMethodFactory.describe(method)
                    + (previous.getName().equals(method.getName()) && previous.getDeclaringClass() == method.getDeclaringClass()
                            ? "; give overloads distinct names with @AlruCacheable(name = \"...\")"
                            : "; give one of them another name with @AlruCacheable(name = \"...\")"));
        }
    }

    private Object advise(Object bean, Class<?> targetClass, List<CachedMethod> cached) {
        List<Advisor> advisors = cached.stream().<Advisor>map(method -> new CachedMethodAdvisor(targetClass, method)).toList();
        if (bean instanceof Advised advised && !advised.isFrozen()) {
            for (int i = 0; i < advisors.size(); i++) {
                advised.addAdvisor(i, advisors.get(i)); // ahead of every advisor already there, @Async's included
            }
            return bean;
        }
        ProxyFactory proxyFactory = new ProxyFactory();
        proxyFactory.setTarget(bean);
        boolean proxyTargetClass = environment.getProperty("spring.aop.proxy-target-class", Boolean.class, Boolean.TRUE);
        Class<?>[] interfaces = ClassUtils.getAllInterfacesForClass(targetClass, targetClass.getClassLoader());
        if (proxyTargetClass || interfaces.length == 0) {
            proxyFactory.setProxyTargetClass(true);
        } else {
            proxyFactory.setInterfaces(interfaces);
        }
        advisors.forEach(proxyFactory::addAdvisor);
        return proxyFactory.getProxy(targetClass.getClassLoader());
    }

    /** Stops the start if {@code alru.caches} names a cache that no {@code @AlruCacheable} method declares. */
    @Override
    public void afterSingletonsInstantiated() {
        AlruProperties settings = properties.getObject();
        Set<String> unknown = new TreeSet<>(settings.getCaches().keySet());
        unknown.removeAll(declaredNames.keySet());
        if (!unknown.isEmpty()) {
            String first = unknown.iterator().next();
            throw new AlruConfigurationException(CachedMethodFactory.propertyName(first, "*")
                    + " configures a cache that does not exist: no @AlruCacheable method is named " + unknown
                    + "; the caches are " + new TreeSet<>(declaredNames.keySet()));
        }
    }

    private CachedMethodFactory factory() {
        CachedMethodFactory current = factory;
        if (current == null) {
            current = new CachedMethodFactory(properties.getObject(), environment);
            factory = current;
        }
        return current;
    }
}
